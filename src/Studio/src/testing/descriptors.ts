import type { ActivityDescriptor } from '../api/types';

// Descriptors shaped like the engine serves them, enough to exercise every input kind the forms know.
export const sendMessage: ActivityDescriptor = {
  type: 'SendMessage', typeVersion: 1, displayName: 'Send message', category: 'Messaging', description: 'Sends a text to the customer.', icon: null,
  inputs: [
    { name: 'text', displayName: 'Text', kind: 'template', required: true, hint: 'Liquid placeholders allowed', options: null },
    { name: 'buttons', displayName: 'Buttons', kind: 'buttons', required: false, options: null },
  ],
  outcomes: ['done'],
  dynamicOutcomes: null,
};

export const askQuestion: ActivityDescriptor = {
  type: 'AskQuestion', typeVersion: 1, displayName: 'Ask question', category: 'Messaging', description: 'Asks and waits for the answer.', icon: null,
  inputs: [
    { name: 'prompt', displayName: 'Question', kind: 'template', required: true, options: null },
    { name: 'validation', displayName: 'Expected answer', kind: 'choice', required: false, defaultValue: 'text',
      options: ['text', 'number', 'email', 'phone', 'date', 'choice'].map(v => ({ value: v, label: v })) },
    { name: 'choices', displayName: 'Choices', kind: 'choices', required: false, options: null },
    { name: 'variable', displayName: 'Save answer in', kind: 'variable', required: false, options: null },
    { name: 'timeout', displayName: 'Give up after', kind: 'duration', required: false, options: null },
  ],
  outcomes: ['answered', 'invalid', 'timeout'],
  dynamicOutcomes: { fromInput: 'choices', extra: ['invalid', 'timeout'] },
};

export const decision: ActivityDescriptor = {
  type: 'Decision', typeVersion: 1, displayName: 'Decision', category: 'Logic', description: 'Branches on a condition.', icon: null,
  inputs: [{ name: 'condition', displayName: 'Condition', kind: 'expression', required: true, options: null }],
  outcomes: ['true', 'false'],
  dynamicOutcomes: null,
};

export const switchCases: ActivityDescriptor = {
  type: 'Switch', typeVersion: 1, displayName: 'Switch', category: 'Logic', description: 'First matching case.', icon: null,
  inputs: [
    { name: 'expression', displayName: 'Value', kind: 'expression', required: true, options: null },
    { name: 'cases', displayName: 'Cases', kind: 'cases', required: true, options: null },
  ],
  outcomes: ['default'],
  dynamicOutcomes: { fromInput: 'cases', extra: ['default'] },
};

export const handOff: ActivityDescriptor = {
  type: 'HandOff', typeVersion: 2, displayName: 'Hand off', category: 'Routing', description: 'Hands the conversation to a person.', icon: null,
  inputs: [
    { name: 'team', displayName: 'Team', kind: 'team', required: true, options: null },
    { name: 'agent', displayName: 'Agent', kind: 'agent', required: false, options: null },
    { name: 'priority', displayName: 'Priority', kind: 'choice', required: true, defaultValue: 'normal', options: [{ value: 'normal', label: 'Normal' }, { value: 'urgent', label: 'Urgent' }] },
    { name: 'maxWait', displayName: 'Maximum wait', kind: 'number', required: false, options: null },
    { name: 'notify', displayName: 'Notify agents', kind: 'boolean', required: false, options: null },
    { name: 'keywords', displayName: 'Keywords', kind: 'keywords', required: false, options: null },
    { name: 'hours', displayName: 'Business hours', kind: 'calendar', required: false, defaultValue: { timeZone: 'UTC', weekly: [] }, options: null },
  ],
  outcomes: ['done'],
  dynamicOutcomes: null,
};

export const httpRequest: ActivityDescriptor = {
  type: 'HttpRequest', typeVersion: 1, displayName: 'HTTP request', category: 'Integrations', description: 'Calls an API.', icon: null,
  inputs: [
    { name: 'url', displayName: 'URL', kind: 'text', required: true, options: null },
    { name: 'headers', displayName: 'Headers', kind: 'headers', required: false, options: null },
    { name: 'body', displayName: 'Body', kind: 'json', required: false, options: null },
  ],
  outcomes: ['done', 'failed'],
  dynamicOutcomes: null,
};

export const allDescriptors = [sendMessage, askQuestion, decision, switchCases, handOff, httpRequest];
