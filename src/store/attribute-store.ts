/** @module The attributes aggregate's contract: changes to a user's attributes and their verification codes. */

export interface AttributeStore {}
