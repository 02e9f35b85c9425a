import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'amber', 'ancient', 'autumn', 'bold', 'brave', 'bright', 'calm', 'crisp', 'damp', 'dawn', 'eager', 'floral',
  'fresh', 'gentle', 'golden', 'hidden', 'icy', 'lively', 'lucky', 'misty', 'morning', 'noble', 'quiet', 'rapid',
  'shy', 'silent', 'snowy', 'sunny', 'swift', 'tranquil', 'vast', 'wild',
];
const NOUNS = [
  'badger', 'brook', 'canyon', 'cedar', 'cloud', 'coast', 'dune', 'falcon', 'field', 'fjord', 'forest', 'harbor',
  'heron', 'island', 'lake', 'meadow', 'mesa', 'otter', 'peak', 'pine', 'river', 'shore', 'sky', 'spring',
  'stone', 'summit', 'tide', 'valley', 'wave', 'willow', 'wind', 'wood',
];

const pick = (list: readonly string[]): string => list[randomInt(list.length)] as string;

/** A Heroku-style generated name such as `misty-harbor-4821`. */
export const generateAppName = (): string => `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000, 10000)}`;
