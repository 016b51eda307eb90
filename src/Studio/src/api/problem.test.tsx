import { render, screen } from '@testing-library/react';
import { ErrorBanner } from '../components/ErrorBanner';
import { ApiClient } from './client';
import { ApiError, parseProblem, problemFromBody, toApiError } from './problem';

function json(status: number, body: unknown, contentType = 'application/problem+json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

describe('Problem Details', () => {
  it('A validation problem keeps its title, detail and field errors', async () => {
    const error = await parseProblem(json(400, {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'One or more validation errors occurred.', status: 400,
      detail: 'Fix the fields below.', errors: { name: ['Name is required.'], priority: ['Must be positive.', 'Too large.'] }, traceId: '00-abc',
    }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.title).toBe('One or more validation errors occurred.');
    expect(error.detail).toBe('Fix the fields below.');
    expect(error.fieldErrors).toEqual({ name: ['Name is required.'], priority: ['Must be positive.', 'Too large.'] });
  });

  it('A refused publish carries the flow problems', async () => {
    const error = await parseProblem(json(422, {
      title: 'The flow cannot be published', status: 422,
      problems: [{ nodeId: 'ask1', field: 'choices', message: 'At least one choice.' }, { nodeId: null, field: null, message: 'No start.' }],
    }));
    expect(error.problems).toEqual([{ nodeId: 'ask1', field: 'choices', message: 'At least one choice.' }, { nodeId: null, field: null, message: 'No start.' }]);
  });

  it('A body that is not Problem Details still gives a readable error by status', async () => {
    expect((await parseProblem(new Response('', { status: 404 }))).title).toBe('Not found');
    const html = await parseProblem(new Response('<h1>Bad gateway</h1>', { status: 502 }));
    expect(html.title).toBe('The server failed');
    expect(html.detail).toBe('<h1>Bad gateway</h1>');
    expect(problemFromBody(409, { detail: 'Name taken' }).title).toBe('Conflict');
  });

  it('A network failure reads as an unreachable server', () => {
    const error = toApiError(new TypeError('Failed to fetch'));
    expect(error.title).toBe('The server could not be reached');
    expect(error.detail).toBe('Failed to fetch');
  });

  it('The error banner shows title, detail and each field error', () => {
    render(<ErrorBanner error={new ApiError(400, 'Invalid flow', 'Name is too long.', { name: ['At most 200 characters.'] })} />);
    const banner = screen.getByRole('alert');
    expect(banner).toHaveProperty('textContent', expect.stringContaining('Invalid flow'));
    expect(banner.textContent).toContain('Name is too long.');
    expect(banner.textContent).toContain('name: At most 200 characters.');
  });
});

describe('ApiClient', () => {
  it('Sends the bearer token and turns a failure into Problem Details', async () => {
    const seen: Array<string | null> = [];
    const client = new ApiClient(
      { accessToken: async () => 'tok', refresh: async () => null },
      (async (_url: string, init?: RequestInit) => {
        seen.push(new Headers(init?.headers).get('Authorization'));
        return json(404, { title: 'Flow not found', status: 404 });
      }) as typeof fetch,
    );
    await expect(client.getFlow('x')).rejects.toMatchObject({ status: 404, title: 'Flow not found' });
    expect(seen).toEqual(['Bearer tok']);
  });

  it('On 401 it refreshes once and retries with the new token', async () => {
    let token = 'old';
    const seen: string[] = [];
    const client = new ApiClient(
      { accessToken: async () => token, refresh: async () => { token = 'new'; } },
      (async (_url: string, init?: RequestInit) => {
        const auth = new Headers(init?.headers).get('Authorization')!;
        seen.push(auth);
        return auth === 'Bearer new' ? json(200, { items: [], nextCursor: null }, 'application/json') : new Response(null, { status: 401 });
      }) as typeof fetch,
    );
    expect(await client.listFlows()).toEqual({ items: [], nextCursor: null });
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
  });

  it('A 204 answer resolves without a body', async () => {
    const client = new ApiClient({ accessToken: async () => 't', refresh: async () => null }, (async () => new Response(null, { status: 204 })) as typeof fetch);
    await expect(client.deleteFlow('f')).resolves.toBeUndefined();
  });
});
