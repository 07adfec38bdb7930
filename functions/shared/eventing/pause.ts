/** A sleep that another part of the process can cut short: the idle wait of polling loops. */
export class Pause {
  private wake: (() => void) | undefined;

  /** Waits `ms`, or less if `interrupt()` is called meanwhile. */
  async for(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** Ends the current wait, if any. */
  interrupt(): void {
    this.wake?.();
  }
}
