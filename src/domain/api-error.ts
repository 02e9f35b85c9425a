/**
 * The Platform API's error body, `{id, message}`, as every client reads it
 * (CLI and dashboard): a body that is not that JSON keeps the status line,
 * so a proxy's HTML error page still yields a readable message.
 */
export interface ApiErrorBody {
  id: string;
  message: string;
}

export async function readApiError(res: Response): Promise<ApiErrorBody> {
  const fallback = { id: 'error', message: `${res.status} ${res.statusText}` };
  try {
    const e = (await res.json()) as Partial<ApiErrorBody>;
    return { id: e.id ?? fallback.id, message: e.message ?? fallback.message };
  } catch {
    return fallback;
  }
}
