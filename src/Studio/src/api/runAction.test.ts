import { runAction } from './runAction';

describe('runAction', () => {
  it('clears the last error, runs the action and then what follows it', async () => {
    const errors: unknown[] = [];
    const steps: string[] = [];

    await runAction(async () => steps.push('action'), async () => steps.push('reload'), e => errors.push(e));

    expect(steps).toEqual(['action', 'reload']);
    expect(errors).toEqual([null]);
  });

  it('turns a refusal into the page error and does not reload', async () => {
    const errors: unknown[] = [];
    const steps: string[] = [];

    await runAction(async () => { throw new Error('refused'); }, () => steps.push('reload'), e => errors.push(e));

    expect(steps).toEqual([]);
    expect(errors).toHaveLength(2);
    expect(errors[1]).not.toBeNull();
  });
});
