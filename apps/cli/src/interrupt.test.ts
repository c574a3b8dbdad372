import { afterEach, describe, expect, it, vi } from 'vitest';
import { Interrupt } from './interrupt';

describe('Interrupt', () => {
  afterEach(() => vi.restoreAllMocks());

  it('asks the fit to stop on the first signal, and quits at once with 130 on the second', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const interrupt = new Interrupt();
    interrupt.install();
    try {
      process.emit('SIGINT', 'SIGINT');
      expect(interrupt.received).toBe('SIGINT');
      expect(interrupt.requested).toBe(true);
      expect(exit).not.toHaveBeenCalled();
      expect(String(stderr.mock.calls.at(-1)?.[0])).toContain('Ctrl-C again quits at once');
      process.emit('SIGINT', 'SIGINT');
      expect(exit).toHaveBeenCalledWith(130);
      expect(String(stderr.mock.calls.at(-1)?.[0])).toContain('quitting now, nothing saved');
    } finally {
      interrupt.uninstall();
    }
    expect(process.listenerCount('SIGINT')).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('aborts its signal only when asked', () => {
    const interrupt = new Interrupt();
    expect(interrupt.signal.aborted).toBe(false);
    interrupt.abort();
    expect(interrupt.signal.aborted).toBe(true);
  });
});
