import { askQuestion, handOff, httpRequest, sendMessage, switchCases } from '../testing/descriptors';
import { formatDuration, parseDuration, validateInputs, validateVariables } from './validation';

describe('input validation', () => {
  it('A required field left empty says so by its display name', () => {
    expect(validateInputs(sendMessage, {})).toEqual({ text: 'Text is required.' });
    expect(validateInputs(sendMessage, { text: '   ' })).toEqual({ text: 'Text is required.' });
  });

  it('A template with an unclosed placeholder is flagged', () => {
    expect(validateInputs(sendMessage, { text: 'Hi {{ contact.name' }).text).toBe('Text has a placeholder without its closing }}.');
    expect(validateInputs(sendMessage, { text: 'Hi {{ contact.name }}' })).toEqual({});
  });

  it('Choices must be distinct because each becomes an outcome', () => {
    expect(validateInputs(askQuestion, { prompt: 'Q', validation: 'choice', choices: [{ title: 'Sales', value: 'sales' }, { title: 'More sales', value: 'Sales' }] }).choices)
      .toBe('Choices has "Sales" twice; each choice becomes its own outcome.');
    expect(validateInputs(askQuestion, { prompt: 'Q', validation: 'choice', choices: [{ title: 'Sales', value: '' }] }).choices).toBe('Every choice in Choices needs a value.');
    expect(validateInputs(askQuestion, { prompt: 'Q', validation: 'choice', choices: [{ title: '', value: 's' }] }).choices).toBe('Every choice in Choices needs a title.');
  });

  it('A variable must be defined in the flow', () => {
    const errors = validateInputs(askQuestion, { prompt: 'Q', variable: 'answer' }, [{ name: 'other', type: 'text' }]);
    expect(errors.variable).toBe('Save answer in: the variable "answer" is not defined in this flow.');
    expect(validateInputs(askQuestion, { prompt: 'Q', variable: 'answer' }, [{ name: 'answer', type: 'text' }])).toEqual({});
  });

  it('Durations are the engine\'s (30s, 5m, 2h, 1d or ISO 8601) and longer than zero', () => {
    expect(validateInputs(askQuestion, { prompt: 'Q', timeout: '0m' }).timeout).toBe('Give up after must be longer than zero.');
    expect(validateInputs(askQuestion, { prompt: 'Q', timeout: '5 minutes' }).timeout).toBe('Give up after must be a duration like 5m, 2h or 1d.');
    expect(validateInputs(askQuestion, { prompt: 'Q', timeout: '00:05:00' }).timeout).toBe('Give up after must be a duration like 5m, 2h or 1d.');
    expect(parseDuration('PT1H30M')).toBe(5400);
    expect(parseDuration('P1DT30S')).toBe(86430);
    expect(parseDuration('2h')).toBe(7200);
    expect(formatDuration(86400)).toBe('1d');
    expect(formatDuration(5400)).toBe('90m');
    expect(formatDuration(45)).toBe('45s');
  });

  it('Cases are distinct values, none empty', () => {
    expect(validateInputs(switchCases, { expression: 'x', cases: ['vip', ' '] }).cases).toBe('Every case in Cases needs a value.');
    expect(validateInputs(switchCases, { expression: 'x', cases: ['a', 'A'] }).cases).toBe('Cases has the case "A" twice.');
    expect(validateInputs(switchCases, { expression: 'x', cases: ['vip', 'regular'] })).toEqual({});
  });

  it('Numbers, choices, keywords and calendars are checked by kind', () => {
    const errors = validateInputs(handOff, {
      team: 't', priority: 'panic', maxWait: Number.NaN, keywords: ['help', ''],
      hours: { timeZone: 'Europe/Berlin', weekly: [{ day: 'monday', open: '18:00', close: '09:00' }] },
    });
    expect(errors).toEqual({
      priority: 'Priority must be one of the listed options.',
      maxWait: 'Maximum wait must be a number.',
      keywords: 'Keywords must not contain empty keywords.',
      hours: 'Business hours: on monday opening must be before closing.',
    });
  });

  it('Holidays in a calendar are ISO dates', () => {
    expect(validateInputs(handOff, { team: 't', priority: 'normal', hours: { timeZone: 'UTC', weekly: [], holidays: ['25.12.2026'] } }).hours)
      .toBe('Business hours: holidays are dates like 2026-12-25.');
  });

  it('JSON bodies must parse and header names must be tokens', () => {
    expect(validateInputs(httpRequest, { url: 'https://x', body: '{"a":', headers: [{ name: 'X Bad', value: '1' }] })).toEqual({
      body: 'Body is not valid JSON.',
      headers: 'Every header in Headers needs a valid name.',
    });
  });

  it('Button titles respect the channel limit of 20 characters', () => {
    expect(validateInputs(sendMessage, { text: 'Pick', buttons: [{ title: 'A title far too long to fit', payload: 'p' }] }).buttons)
      .toBe('Button titles in Buttons may have at most 20 characters.');
  });

  it('Flow variables need identifier names, each once', () => {
    expect(validateVariables([{ name: 'order id', type: 'text' }])).toBe('"order id" is not a valid variable name (letters, digits, _).');
    expect(validateVariables([{ name: 'a', type: 'text' }, { name: 'a', type: 'number' }])).toBe('The variable "a" is defined twice.');
    expect(validateVariables([{ name: 'orderId', type: 'text' }])).toBeNull();
  });
});
