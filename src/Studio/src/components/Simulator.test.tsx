import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApiClient } from '../api/client';
import type { TestRun } from '../api/types';
import { StudioContext, type StudioContextValue } from '../context';
import { Simulator } from './Simulator';

const run = (transcript: TestRun['transcript']): TestRun => ({
  id: 'run-1', status: 'completed', transcript, path: ['menu'], variables: {}, handOff: null, journal: [],
});

function renderWith(api: Partial<ApiClient>) {
  const value = { api: api as ApiClient } as StudioContextValue;
  render(
    <StudioContext.Provider value={value}>
      <Simulator flowId="flow-1" beforeStart={async () => undefined} onRun={() => undefined} />
    </StudioContext.Provider>,
  );
}

describe('Simulator', () => {
  it('Shows a bot message with media as a labelled link that opens apart, without loading it', async () => {
    const user = userEvent.setup();
    renderWith({
      startTestRun: async () => run([
        { from: 'bot', text: "Today's menu", buttons: [], media: { url: 'https://cdn.example.com/menu.png', kind: 'image' } },
      ]),
    });

    await user.click(screen.getByTestId('sim-start'));

    const link = await screen.findByTestId('sim-media');
    expect(link.textContent).toBe('Image: https://cdn.example.com/menu.png');
    expect(link.getAttribute('href')).toBe('https://cdn.example.com/menu.png');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.getByTestId('sim-transcript').querySelector('img')).toBeNull();
    expect(screen.getByText("Today's menu")).toBeTruthy();
  });

  it('Shows no media link for a message without media', async () => {
    const user = userEvent.setup();
    renderWith({ startTestRun: async () => run([{ from: 'bot', text: 'Hello', buttons: [] }]) });

    await user.click(screen.getByTestId('sim-start'));

    expect(await screen.findByText('Hello')).toBeTruthy();
    expect(screen.queryByTestId('sim-media')).toBeNull();
  });
});
