/**
 * At most one message per interval to each chat: bursts (a step that sends five messages) wait their turn, none is
 * dropped. Unofficial WhatsApp clients get numbers banned for bot-like bursts. In-memory on purpose: one WhatsApp
 * number is one browser session, so one process sends for it.
 */
export class Pacer {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly clock: { now: () => number; sleep: (ms: number) => Promise<void> } = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  ) {}

  /** Runs `send` after this chat's earlier sends, and at least `intervalMs` after the last of them. */
  run<T>(chatId: string, send: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(chatId) ?? Promise.resolve();
    const task = previous.then(async () => {
      const wait = (this.lastSent.get(chatId) ?? Number.NEGATIVE_INFINITY) + this.intervalMs - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      try {
        return await send();
      } finally {
        this.lastSent.set(chatId, this.clock.now());
      }
    });
    const tail = task.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(chatId, tail);
    void tail.then(() => {
      if (this.queues.get(chatId) === tail) this.queues.delete(chatId);
      this.forgetIdle();
    });
    return task;
  }

  /** Chats quiet for longer than the interval need no memory: the map does not grow with every person served. */
  private forgetIdle(): void {
    const now = this.clock.now();
    for (const [chatId, at] of this.lastSent) if (now - at > this.intervalMs && !this.queues.has(chatId)) this.lastSent.delete(chatId);
  }
}
