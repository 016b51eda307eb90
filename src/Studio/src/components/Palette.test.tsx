import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { allDescriptors } from '../testing/descriptors';
import { groupByCategory, Palette } from './Palette';

describe('Palette', () => {
  it('Groups activities by category in alphabetical order', () => {
    expect(groupByCategory(allDescriptors, '').map(([category, items]) => [category, items.map(d => d.type)])).toEqual([
      ['Integrations', ['HttpRequest']],
      ['Logic', ['Decision', 'Switch']],
      ['Messaging', ['SendMessage', 'AskQuestion']],
      ['Routing', ['HandOff']],
    ]);
  });

  it('Search matches names, categories and descriptions', async () => {
    const user = userEvent.setup();
    render(<Palette descriptors={allDescriptors} onAdd={() => undefined} />);
    await user.type(screen.getByLabelText('Search activities'), 'person');
    const palette = screen.getByRole('complementary', { name: 'Activities' });
    expect(within(palette).getAllByRole('button').map(b => b.textContent)).toEqual(['Hand off']);
    await user.clear(screen.getByLabelText('Search activities'));
    await user.type(screen.getByLabelText('Search activities'), 'zzz');
    expect(screen.getByText('No activity matches.')).toBeTruthy();
  });

  it('Keyboard users add an activity with Enter', async () => {
    const user = userEvent.setup();
    const added: string[] = [];
    render(<Palette descriptors={allDescriptors} onAdd={type => added.push(type)} />);
    screen.getByRole('button', { name: 'Add Decision' }).focus();
    await user.keyboard('{Enter}');
    expect(added).toEqual(['Decision']);
  });
});
