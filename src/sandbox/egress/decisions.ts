// One decision per destination per session: a build opens dozens of connections to the same
// registry, and an Overseer should approve it once, not once per connection. Concurrent requests
// for the same destination wait on the same answer; a denial sticks too, so a refused host is
// neither asked nor recorded as a new tool call again (each connection is still recorded).
import type { EgressDecide, EgressDecision } from './types.js';

export function decideOncePerDestination(decide: EgressDecide): EgressDecide {
  const answers = new Map<string, Promise<EgressDecision>>();
  return (request) => {
    const key = `${request.host}\0${request.port}\0${request.privateAddress}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = decide(request);
      answers.set(key, answer);
      // A failure to decide is not an answer: ask again next time.
      answer.catch(() => answers.delete(key));
    }
    return answer;
  };
}
