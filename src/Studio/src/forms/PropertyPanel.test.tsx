import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { askQuestion, handOff, sendMessage } from '../testing/descriptors';
import { PropertyPanel, type PropertyPanelProps } from './PropertyPanel';

function Harness(props: Omit<PropertyPanelProps, 'inputs' | 'onChange'> & { initial: Record<string, unknown>; seen?: Record<string, unknown>[] }) {
  const { initial, seen, ...rest } = props;
  const [inputs, setInputs] = useState(initial);
  return <PropertyPanel {...rest} inputs={inputs} onChange={(name, value) => setInputs(previous => {
    const next = { ...previous, [name]: value };
    seen?.push(next);
    return next;
  })} />;
}

describe('PropertyPanel', () => {
  it('Generates one labelled field per input of the descriptor', () => {
    render(<Harness descriptor={handOff} nodeId="handoff1" initial={{}} teams={[{ id: 't1', name: 'Support' }]}
      members={[{ userId: 'u1', displayName: 'Ada', email: 'ada@example.com', role: 'Agent' }]} />);
    expect(screen.getByLabelText(/^Team/)).toHaveProperty('tagName', 'SELECT');
    expect(within(screen.getByLabelText(/^Team/)).getByRole('option', { name: 'Support' })).toBeTruthy();
    expect(within(screen.getByLabelText(/^Agent/)).getByRole('option', { name: 'Ada (ada@example.com)' })).toBeTruthy();
    expect(within(screen.getByLabelText(/^Priority/)).getAllByRole('option').map(o => o.textContent)).toEqual(['Choose…', 'Normal', 'Urgent']);
    expect(screen.getByLabelText('Maximum wait')).toHaveProperty('type', 'number');
    expect(screen.getByLabelText('Notify agents')).toHaveProperty('type', 'checkbox');
    expect(screen.getByRole('group', { name: 'Keywords' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Business hours' })).toBeTruthy();
  });

  it('Shows the required message inline and clears it once the field is filled', async () => {
    const user = userEvent.setup();
    render(<Harness descriptor={sendMessage} nodeId="send1" initial={{}} />);
    const text = screen.getByLabelText(/^Text/);
    expect(screen.getByRole('alert').textContent).toBe('Text is required.');
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(text.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
    await user.type(text, 'Hello');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(text.getAttribute('aria-invalid')).toBe('false');
  });

  it('Template fields offer placeholders, flow variables included, and insert them', async () => {
    const user = userEvent.setup();
    const seen: Record<string, unknown>[] = [];
    render(<Harness descriptor={sendMessage} nodeId="send1" initial={{ text: 'Hi ' }} variables={[{ name: 'orderId', type: 'text' }]} seen={seen} />);
    await user.click(screen.getByRole('button', { name: '{{ vars.orderId }}' }));
    expect(seen.at(-1)!.text).toBe('Hi {{ vars.orderId }}');
  });

  it('Adding and editing choices changes the inputs that become ports', async () => {
    const user = userEvent.setup();
    const seen: Record<string, unknown>[] = [];
    render(<Harness descriptor={askQuestion} nodeId="ask1" initial={{ prompt: 'Q', validation: 'choice', choices: [{ title: 'Sales', value: 'sales' }] }} seen={seen} />);
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await user.type(screen.getByLabelText('Choices 2 title'), 'Sales again');
    await user.type(screen.getByLabelText('Choices 2 value'), 'sales');
    expect(seen.at(-1)!.choices).toEqual([{ title: 'Sales', value: 'sales' }, { title: 'Sales again', value: 'sales' }]);
    expect(screen.getByRole('alert').textContent).toBe('Choices has "sales" twice; each choice becomes its own outcome.');
    await user.click(screen.getByRole('button', { name: 'Remove Choices 2' }));
    expect(seen.at(-1)!.choices).toEqual([{ title: 'Sales', value: 'sales' }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('Durations are edited as an amount and a unit, and saved as the engine reads them', () => {
    const seen: Record<string, unknown>[] = [];
    render(<Harness descriptor={askQuestion} nodeId="ask1" initial={{ prompt: 'Q', timeout: '10m' }} seen={seen} />);
    const amount = screen.getByLabelText('Give up after') as HTMLInputElement;
    expect(amount.value).toBe('10');
    expect((screen.getByLabelText('Give up after unit') as HTMLSelectElement).value).toBe('60');
    fireEvent.change(amount, { target: { value: '2' } });
    expect(seen.at(-1)!.timeout).toBe('2m');
    fireEvent.change(screen.getByLabelText('Give up after unit'), { target: { value: '3600' } });
    expect(seen.at(-1)!.timeout).toBe('2h');
  });

  it('Business hours are edited as the engine\'s calendar: weekly slots and holidays', () => {
    const seen: Record<string, unknown>[] = [];
    render(<Harness descriptor={handOff} nodeId="h1" initial={{ team: 't', priority: 'normal', hours: { timeZone: 'Europe/Berlin', weekly: [] } }} seen={seen} />);
    fireEvent.click(screen.getByLabelText('monday'));
    expect(seen.at(-1)!.hours).toEqual({ timeZone: 'Europe/Berlin', weekly: [{ day: 'monday', open: '09:00', close: '17:00' }] });
    const holidays = screen.getByTestId('input-hours-holidays');
    fireEvent.change(holidays, { target: { value: '2026-12-25, 2026-12-26' } });
    fireEvent.blur(holidays);
    expect((seen.at(-1)!.hours as { holidays: string[] }).holidays).toEqual(['2026-12-25', '2026-12-26']);
  });

  it('Problems the server reported appear on their field', () => {
    render(<Harness descriptor={sendMessage} nodeId="send1" initial={{ text: 'ok' }} serverErrors={{ text: 'Unknown placeholder contact.nmae.' }} />);
    expect(screen.getByRole('alert').textContent).toBe('Unknown placeholder contact.nmae.');
  });

  it('Read-only for auditors: nothing can be changed or added', () => {
    render(<Harness descriptor={askQuestion} nodeId="ask1" initial={{ prompt: 'Q', validation: 'choice', choices: [{ title: 'A', value: 'a' }] }} readOnly />);
    expect(screen.getByLabelText(/^Question/)).toHaveProperty('readOnly', true);
    expect(screen.queryByRole('button', { name: 'Add' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^\{\{/ })).toBeNull();
  });
});
