/**
 * Start-up problems a person can fix (a port in use, no Java, damaged local data). `npm start` prints the
 * message and the fix without a stack trace; anything else is a bug and keeps its stack.
 */
export class LocalStackError extends Error {
  override readonly name = 'LocalStackError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}
