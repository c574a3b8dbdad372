let lastYield = 0;

/**
 * Lets timers, progress bars and UI events run between epochs, but at most every 16 ms:
 * a macrotask per epoch would cost more than a tiny epoch itself.
 */
export async function yieldToEventLoop(): Promise<void> {
  const now = performance.now();
  if (now - lastYield < 16) return;
  lastYield = now;
  await new Promise<void>((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}
