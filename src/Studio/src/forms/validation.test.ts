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
    expect(validateInputs(askQuestion, { question: 'Q', choices: ['Sales', 'sales'] }).choices).toBe('Choices has "sales" twice; each choice becomes its own outcome.');
    expect(validateInputs(askQuestion, { question: 'Q', choices: [] }).choices).toBe('Choices is required.');
  });

  it('A variable must be defined in the flow', () => {
    const errors = validateInputs(askQuestion, { question: 'Q', choices: ['A'], saveAs: 'answer' }, [{ name: 'other', type: 'string' }]);
    expect(errors.saveAs).toBe('Save answer as: the variable "answer" is not defined in this flow.');
    expect(validateInputs(askQuestion, { question: 'Q', choices: ['A'], saveAs: 'answer' }, [{ name: 'answer', type: 'string' }])).toEqual({});
  });

  it('Durations are TimeSpans longer than zero', () => {
    expect(validateInputs(askQuestion, { question: 'Q', choices: ['A'], timeout: '00:00:00' }).timeout).toBe('Timeout must be longer than zero.');
    expect(validateInputs(askQuestion, { question: 'Q', choices: ['A'], timeout: '5 minutes' }).timeout).toBe('Timeout must be a duration like 00:05:00.');
    expect(parseDuration('1.02:00:30')).toBe(93630);
    expect(formatDuration(93630)).toBe('1.02:00:30');
    expect(formatDuration(300)).toBe('00:05:00');
  });

  it('Cases need a name and a condition each', () => {
    expect(validateInputs(switchCases, { cases: [{ name: 'vip', condition: '' }] }).cases).toBe('Every case in Cases needs a condition.');
    expect(validateInputs(switchCases, { cases: [{ name: 'a', condition: 'x' }, { name: 'A', condition: 'y' }] }).cases).toBe('Cases has the case "A" twice.');
  });

  it('Numbers, choices, keywords and calendars are checked by kind', () => {
    const errors = validateInputs(handOff, {
      team: 't', priority: 'panic', maxWait: Number.NaN, keywords: ['help', ''],
      hours: { timeZone: 'Europe/Berlin', days: [{ day: 'monday', open: '18:00', close: '09:00' }] },
    });
    expect(errors).toEqual({
      priority: 'Priority must be one of the listed options.',
      maxWait: 'Maximum wait must be a number.',
      keywords: 'Keywords must not contain empty keywords.',
      hours: 'Business hours: on monday opening must be before closing.',
    });
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
    expect(validateVariables([{ name: 'order id', type: 'string' }])).toBe('"order id" is not a valid variable name (letters, digits, _).');
    expect(validateVariables([{ name: 'a', type: 'string' }, { name: 'a', type: 'number' }])).toBe('The variable "a" is defined twice.');
    expect(validateVariables([{ name: 'orderId', type: 'string' }])).toBeNull();
  });
});
