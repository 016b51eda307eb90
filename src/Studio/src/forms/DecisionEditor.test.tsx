import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { DecisionEditor, decisionProblem } from './DecisionEditor';

describe('the decision editor', () => {
  it('needs an explanation once a step is marked significant', () => {
    expect(decisionProblem(undefined)).toBeNull();
    expect(decisionProblem({ significant: true, explanation: '  ' })).toBe('A significant decision needs an explanation in plain language.');
    expect(decisionProblem({ significant: true, explanation: 'x'.repeat(1001) })).toBe('The explanation is longer than 1000 characters.');
    expect(decisionProblem({ significant: true, explanation: 'Refused: total {{ vars.total }}' })).toBeNull();
  });

  it('marks and unmarks a step, keeping what was typed while marked', () => {
    const onChange = vi.fn();
    const { rerender } = render(<DecisionEditor nodeId="refund" decision={undefined} onChange={onChange} />);
    fireEvent.click(screen.getByTestId('decision-significant'));
    expect(onChange).toHaveBeenLastCalledWith({ significant: true, explanation: '' });

    rerender(<DecisionEditor nodeId="refund" decision={{ significant: true, explanation: '' }} onChange={onChange} />);
    expect(screen.getByRole('alert').textContent).toBe('A significant decision needs an explanation in plain language.');
    fireEvent.change(screen.getByTestId('decision-explanation'), { target: { value: 'Refused: total {{ vars.total }}' } });
    expect(onChange).toHaveBeenLastCalledWith({ significant: true, explanation: 'Refused: total {{ vars.total }}' });

    fireEvent.click(screen.getByTestId('decision-significant'));
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });
});
