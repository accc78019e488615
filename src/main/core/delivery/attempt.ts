import type { SendHandlers } from './channel';

/** Where an attempt's outcome goes, with the message it was about. */
export interface Outcomes<M> {
  acked(msg: M): void;
  failed(msg: M, e: Error): void;
  replied(msg: M, reply: unknown): void;
  refusedAfterAck(msg: M): void;
}

/** One send of one message: its channel tells this, and this tells the outbox which message it was. */
export class Attempt<M> implements SendHandlers {
  constructor(
    private readonly to: Outcomes<M>,
    private readonly msg: M,
  ) {}

  acked(): void {
    this.to.acked(this.msg);
  }

  failed(e: Error): void {
    this.to.failed(this.msg, e);
  }

  replied(reply: unknown): void {
    this.to.replied(this.msg, reply);
  }

  refusedAfterAck(): void {
    this.to.refusedAfterAck(this.msg);
  }
}
