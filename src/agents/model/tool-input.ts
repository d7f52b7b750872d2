// A tool call's arguments as the model streamed them (JSON text) turned into an input object. An
// empty text is an empty input; anything that is not a JSON object is kept raw, so the loop can tell
// the model its arguments were unreadable instead of running the tool with guesses.
import type { ModelToolCall } from './types.js';

export function parseToolInput(json: string): Pick<ModelToolCall, 'input' | 'invalidInput'> {
  if (json.trim() === '') return { input: {} };
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { input: value as Record<string, unknown> };
    }
  } catch {
    // Falls through: the raw text goes back to the model.
  }
  return { input: {}, invalidInput: json };
}
