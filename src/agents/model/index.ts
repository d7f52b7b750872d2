// Model runtimes' building blocks, for the openai / anthropic runtimes and the Mayor: the
// provider-neutral conversation types, the two streaming clients, the tool loop and the polecat
// tools. Everything else under this folder is internal.
export type {
  ModelClient,
  ModelDelta,
  ModelMessage,
  ModelRequest,
  ModelTool,
  ModelToolCall,
  ModelToolResult,
  ModelTurn,
  ModelUsage,
  ThinkingBlock,
} from './types.js';
export { createAnthropicClient, anthropicDefaults } from './anthropic-client.js';
export type { ClientOptions } from './anthropic-client.js';
export { createOpenAiClient, openAiDefaults } from './openai-client.js';
export { ModelApiError } from './http.js';
export type { EndpointKey, RetryOptions } from './http.js';
export { runToolLoop, loopDefaults } from './tool-loop.js';
export type { ToolExecution, ToolLoopOptions, ToolLoopResult } from './tool-loop.js';
export { estimateTokens, trimToFit } from './context.js';
export { createPolecatExecutor, polecatTools, resultText } from './polecat-tools.js';
export { clientOptionsFor, startModelSession, systemPrompt } from './session.js';
export type { ModelRuntimeOptions, ProviderDefaults } from './session.js';
export { conversationStore, newConversationId } from './conversation-store.js';
export type { ConversationStore, LoadResult, SavedConversation } from './conversation-store.js';
export { openConversation, resumeNote } from './conversation-resume.js';
