import { describe, expect, it } from 'vitest';
import { costHeading } from './network-costs';

describe('page 3: the cost table heading', () => {
  it('says what the table holds: 0.5 for everyone only while it does, else the predictions', () => {
    expect(costHeading([0.5, 0.5, 0.5])).toMatch(/0\.5 for everyone/);
    const edited = costHeading([0.277, 0.334, 0.5]);
    expect(edited).not.toMatch(/everyone|untrained/);
    expect(edited).toContain('0.277 / 0.334 / 0.5');
  });
});
