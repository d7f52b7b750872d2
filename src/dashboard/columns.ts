// The beads board's columns, shared by the server query and the page script: this module imports
// nothing, so the browser bundle pulls in no server code.
export const boardColumns = ['ready', 'in_progress', 'review', 'merged', 'blocked'] as const;
export type BoardColumn = (typeof boardColumns)[number];
