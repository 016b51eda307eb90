import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { vi } from 'vitest';
import type { FlowTrigger } from '../api/types';
import { TriggerEditor } from './TriggerEditor';
import { newFlowTrigger } from './trigger';

function Harness({ initial, onPriority, serverErrors }: { initial: FlowTrigger; onPriority?: (p: number) => Promise<void>; serverErrors?: Record<string, string> }) {
  const [trigger, setTrigger] = useState(initial);
  return (
    <>
      <TriggerEditor trigger={trigger} onChange={setTrigger} priority={onPriority ? 0 : undefined} onPriority={onPriority} serverErrors={serverErrors}
        connections={[{ id: 'c1', name: 'Shop bot', type: 'telegram' }]} channelTypes={[{ type: 'telegram', displayName: 'Telegram' }, { type: 'api', displayName: 'API' }]}
        now={() => new Date('2026-03-06T10:00:00Z')} />
      <pre data-testid="json">{JSON.stringify(trigger)}</pre>
    </>
  );
}

const json = () => JSON.parse(screen.getByTestId('json').textContent ?? '{}') as FlowTrigger;

describe('TriggerEditor', () => {
  it('Builds a keyword trigger on one channel with chips', async () => {
    const user = userEvent.setup();
    render(<Harness initial={newFlowTrigger} />);
    await user.click(screen.getByTestId('trigger-first-only'));
    await user.click(screen.getByTestId('trigger-channel-telegram'));
    await user.type(screen.getByTestId('trigger-keyword-input'), 'price{Enter}cost,');
    expect(screen.getAllByTestId('trigger-keyword').map(k => k.textContent)).toEqual(['price×', 'cost×']);
    await user.click(screen.getByRole('button', { name: 'Remove keyword cost' }));
    expect(json()).toEqual({ type: 'MessageReceived', inputs: { channelTypes: ['telegram'], keywords: ['price'] } });
  });

  it('Offers the workspace connections as a picker', async () => {
    const user = userEvent.setup();
    render(<Harness initial={newFlowTrigger} />);
    await user.click(screen.getByTestId('trigger-connection-c1'));
    expect(json().inputs?.connectionIds).toEqual(['c1']);
    expect(screen.getByText('Shop bot (Telegram)')).toBeTruthy();
  });

  it('Shows a bad regex next to the field while typing and clears it once fixed', async () => {
    const user = userEvent.setup();
    render(<Harness initial={newFlowTrigger} />);
    await user.type(screen.getByTestId('trigger-regex'), 'price[[');
    const regex = screen.getByTestId('trigger-regex');
    expect(regex.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/regular expression is not valid/);
    expect(regex.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
    await user.clear(regex);
    await user.type(regex, '^price$');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('A schedule shows its next five times in its time zone, and a bad cron its message instead', async () => {
    const user = userEvent.setup();
    render(<Harness initial={newFlowTrigger} />);
    await user.selectOptions(screen.getByTestId('trigger-type'), 'Schedule');
    expect(json()).toEqual({ type: 'Schedule', inputs: { cron: '0 9 * * 1-5', timeZone: 'UTC' } });
    await user.clear(screen.getByTestId('trigger-timezone'));
    await user.type(screen.getByTestId('trigger-timezone'), 'Europe/Berlin');
    expect(screen.getByTestId('trigger-next').querySelectorAll('li')).toHaveLength(5);
    await user.clear(screen.getByTestId('trigger-cron'));
    await user.type(screen.getByTestId('trigger-cron'), '0 25 * * *');
    expect(screen.getByRole('alert').textContent).toBe('The cron expression is not valid: The hour 25 is outside 0-23.');
    expect(screen.queryByTestId('trigger-next')).toBeNull();
  });

  it("Shows the server's problem for a field it reported", () => {
    render(<Harness initial={{ type: 'MessageReceived', inputs: { regex: '(?<x' } }} serverErrors={{ 'trigger.regex': 'The regular expression is not valid: server says no.' }} />);
    expect(screen.getAllByRole('alert').map(a => a.textContent).join(' ')).toMatch(/not valid/);
  });

  it('Saves the priority when leaving the field and shows a refusal beside it', async () => {
    const user = userEvent.setup();
    const onPriority = vi.fn(async (p: number) => {
      if (p > 100) throw new Error('Priority must be at most 100.');
    });
    render(<Harness initial={newFlowTrigger} onPriority={onPriority} />);
    const field = screen.getByTestId('trigger-priority');
    await user.clear(field);
    await user.type(field, '5');
    await user.tab();
    expect(onPriority).toHaveBeenCalledWith(5);
    await user.clear(field);
    await user.type(field, '500{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Priority must be at most 100.');
  });
});
