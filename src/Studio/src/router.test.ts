import { parseRoute } from './router';

describe('routes', () => {
  it.each([
    ['/studio', { name: 'flows' }],
    ['/studio/', { name: 'flows' }],
    ['/studio/callback', { name: 'callback' }],
    ['/studio/flows/f1', { name: 'designer', flowId: 'f1' }],
    ['/studio/flows/f1/instances', { name: 'instances', flowId: 'f1' }],
    ['/studio/instances', { name: 'instances', flowId: null }],
    ['/studio/instances/i9', { name: 'instance', instanceId: 'i9' }],
    ['/studio/channels', { name: 'channels' }],
    ['/studio/people', { name: 'people' }],
    ['/studio/account', { name: 'account' }],
    ['/studio/reports', { name: 'reports' }],
    ['/studio/start', { name: 'start' }],
    ['/studio/invitation', { name: 'invitation' }],
    ['/studio/reviews', { name: 'reviews' }],
    ['/studio/reviews/c7', { name: 'review', caseId: 'c7' }],
    ['/studio/privacy', { name: 'privacy' }],
    ['/studio/contacts', { name: 'contacts' }],
    ['/studio/contacts/k3', { name: 'contact', contactId: 'k3' }],
    ['/studio/nowhere/at/all', { name: 'notFound' }],
  ])('%s opens the right screen', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });
});
