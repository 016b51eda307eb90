import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import type { ChannelTypeDescriptor } from '../api/types';
import { bodyOf, ChannelFields, fieldsFor, validateFields, type FieldValues } from './channelForm';

const whatsapp: ChannelTypeDescriptor = {
  type: 'whatsapp', displayName: 'WhatsApp', modes: ['webhook'], rotatable: ['accessToken', 'appSecret'],
  fields: [
    { name: 'phoneNumberId', label: 'Phone number id', kind: 'text', required: true, help: null, options: null, modes: null },
    { name: 'accessToken', label: 'Access token', kind: 'secret', required: true, help: 'A system user token', options: null, modes: null },
    { name: 'apiVersion', label: 'API version', kind: 'select', required: false, help: null, options: ['v21.0', 'v22.0'], modes: null },
    { name: 'allowedNumbers', label: 'Test numbers', kind: 'list', required: false, help: null, options: null, modes: null },
    { name: 'pollUrl', label: 'Poll URL', kind: 'url', required: false, help: null, options: null, modes: ['polling'] },
  ],
};

describe('channel settings forms', () => {
  it('Show the fields of the chosen mode only, and the rotatable ones for a rotation', () => {
    expect(fieldsFor(whatsapp, 'webhook').map(f => f.name)).toEqual(['phoneNumberId', 'accessToken', 'apiVersion', 'allowedNumbers']);
    expect(fieldsFor(whatsapp, 'polling').map(f => f.name)).toContain('pollUrl');
    expect(fieldsFor(whatsapp, 'webhook', whatsapp.rotatable).map(f => f.name)).toEqual(['accessToken']);
  });

  it('Check required fields, URLs and options, and build the body with lists as arrays', () => {
    const fields = fieldsFor(whatsapp, 'polling');
    expect(validateFields(fields, { pollUrl: 'ftp://x', apiVersion: 'v1' })).toEqual({
      phoneNumberId: 'Phone number id is required.', accessToken: 'Access token is required.',
      apiVersion: 'API version must be one of v21.0, v22.0.', pollUrl: 'Poll URL must be an http(s) URL.',
    });
    expect(validateFields(fields, {}, false)).toEqual({});
    expect(bodyOf(fields, { phoneNumberId: ' 123 ', accessToken: 'tok', allowedNumbers: '+1 555\n+1 556, ', apiVersion: '' }))
      .toEqual({ phoneNumberId: '123', accessToken: 'tok', allowedNumbers: ['+1 555', '+1 556'] });
  });

  it('Render each kind as its control, secrets hidden, with help and the error tied to the field', async () => {
    const user = userEvent.setup({ delay: null });
    function Harness() {
      const [values, setValues] = useState<FieldValues>({});
      return (
        <>
          <ChannelFields idPrefix="c" fields={fieldsFor(whatsapp, 'webhook')} values={values} onChange={setValues}
            errors={{ phoneNumberId: 'Unknown phone number id.' }} />
          <pre data-testid="values">{JSON.stringify(values)}</pre>
        </>
      );
    }
    render(<Harness />);
    expect(screen.getByTestId('channel-field-accessToken').getAttribute('type')).toBe('password');
    expect(screen.getByTestId('channel-field-apiVersion').tagName).toBe('SELECT');
    expect(screen.getByTestId('channel-field-allowedNumbers').tagName).toBe('TEXTAREA');
    const phone = screen.getByTestId('channel-field-phoneNumberId');
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(phone.getAttribute('aria-describedby')).toBe('c-phoneNumberId-error');
    expect(screen.getByText('A system user token').id).toBe('c-accessToken-hint');
    await user.type(phone, '42');
    await user.selectOptions(screen.getByTestId('channel-field-apiVersion'), 'v22.0');
    expect(JSON.parse(screen.getByTestId('values').textContent ?? '')).toEqual({ phoneNumberId: '42', apiVersion: 'v22.0' });
  });
});
