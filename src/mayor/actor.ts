// Who the Mayor is in the ledger, and which request of the Overseer its work serves: `gt mayor ask`
// records the request and hands its span to the tools it runs (GT_REQUEST_SPAN), so every bead,
// dependency and convoy made for it hangs under it and `gt trace` leads back to the words.
export const mayorActor = 'mayor';

export const requestSpanEnv = 'GT_REQUEST_SPAN';
export const requestIdEnv = 'GT_REQUEST_ID';

const spanPattern = /^[0-9a-f]{16}$/;

/** The request span from the environment, when it is a well-formed span id. */
export function requestSpanOf(env: Record<string, string | undefined>): string | undefined {
  const span = env[requestSpanEnv]?.trim();
  return span !== undefined && spanPattern.test(span) ? span : undefined;
}

/** The actor the Mayor's tools act as: $GT_ACTOR when set, else `mayor`. */
export function mayorActorOf(env: Record<string, string | undefined>): string {
  const actor = env.GT_ACTOR?.trim();
  return actor === undefined || actor === '' ? mayorActor : actor;
}
