import { previewTemplate } from './preview';
import { formProblem } from './fieldErrors';
import { ApiError } from '../api/problem';

describe('canned response preview', () => {
  it('Fills the placeholders with sample values, unknown ones empty, with defaults', () => {
    expect(previewTemplate("Hi {{ contact.name }}, {{ agent.name }} here. {{ contact.nickname | default: 'friend' }}{{ nope }}"))
      .toEqual({ ok: true, text: 'Hi Maria Rossi, Ada here. friend' });
  });

  it('Says when a placeholder is not closed', () => {
    expect(previewTemplate('Hi {{ contact.name')).toEqual({ ok: false, message: 'A placeholder is not closed: every {{ needs its }}.' });
  });
});

describe('Problem Details by field', () => {
  it('Puts each field error next to its field and keeps the rest on the form', () => {
    const error = new ApiError(400, 'The request was not valid', null, { shortCode: ['Taken.'], 'workspace.name': ['Too long.'], other: ['?'] });
    const result = formProblem(error, ['shortCode', 'name']);
    expect(result.fields).toEqual({ shortCode: 'Taken.', name: 'Too long.' });
    expect(result.form?.fieldErrors).toEqual({ other: ['?'] });
  });

  it('Leaves nothing on the form when every error found its field', () => {
    const error = new ApiError(400, 'The request was not valid', null, { email: ['Not an email.'] });
    expect(formProblem(error, ['email']).form).toBeNull();
  });
});
