/** A schema change. Ids are applied once each, in ascending order. */
export interface Migration {
  id: number;
  name: string;
  up: string;
}
