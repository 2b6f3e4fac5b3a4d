/** @module The groups aggregate's contract: a pool's groups and their members. */

export interface GroupStore {}
