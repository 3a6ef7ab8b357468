// expect turns an openapi-fetch answer into its typed body, or an error that
// carries the problem+json the server answered.

/** Answer is the shape of every openapi-fetch result. */
export interface Answer<T, E> {
  data?: T;
  error?: E;
  response: Response;
}

/** expect returns the answer's body when its status is want, and throws otherwise. */
export async function expect<T, E>(op: string, want: number, call: Promise<Answer<T, E>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.status !== want || data === undefined) {
    throw new Error(`${op}: status ${response.status}, want ${want}: ${JSON.stringify(error)}`);
  }
  return data;
}
