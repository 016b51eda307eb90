import { describeTrigger, newFlowTrigger, regexProblem, validateTrigger } from './trigger';
import { nextOccurrences, parseCron } from './cron';

const telegram = { id: 'c1', name: 'Shop bot', type: 'telegram' };

describe('trigger summaries', () => {
  it('Say what a keyword trigger answers, in the words of the business', () => {
    expect(describeTrigger({ type: 'MessageReceived', inputs: { channelTypes: ['telegram'], keywords: ['price'] } }))
      .toBe("answers Telegram messages containing 'price'");
  });

  it('A new flow answers the first message of a conversation on any channel', () => {
    expect(describeTrigger(newFlowTrigger)).toBe('answers the first message of a conversation');
  });

  it('Name picked connections, several keywords and a regex', () => {
    expect(describeTrigger({ type: 'MessageReceived', inputs: { connectionIds: ['c1'], keywords: ['price', 'cost'], regex: '^order \\d+$' } }, [telegram]))
      .toBe("answers Shop bot messages containing 'price' or 'cost' and matching /^order \\d+$/");
  });

  it('Describe schedules, conversation events and manual flows', () => {
    expect(describeTrigger({ type: 'Schedule', inputs: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' } }))
      .toBe("runs on open conversations at '0 9 * * 1-5' (Europe/Berlin)");
    expect(describeTrigger({ type: 'ConversationResolved', inputs: {} })).toBe('runs when a conversation is resolved');
    expect(describeTrigger(null)).toBe('starts only when started by hand');
  });
});

describe('trigger validation', () => {
  it('Refuses a bad regex under the field name the server uses', () => {
    const problems = validateTrigger({ type: 'MessageReceived', inputs: { regex: 'price(' } });
    expect(problems['trigger.regex']).toMatch(/^The regular expression is not valid/);
  });

  it('Accepts .NET inline options the browser does not know', () => {
    expect(regexProblem('(?i)price|cost')).toBeNull();
    expect(regexProblem('')).toBeNull();
  });

  it('Refuses a missing or bad cron and an unknown time zone', () => {
    expect(validateTrigger({ type: 'Schedule', inputs: {} })['trigger.cron']).toBe('A schedule trigger needs a cron expression.');
    expect(validateTrigger({ type: 'Schedule', inputs: { cron: '61 * * * *' } })['trigger.cron']).toMatch(/minute 61 is outside 0-59/);
    expect(validateTrigger({ type: 'Schedule', inputs: { cron: '* * *' } })['trigger.cron']).toMatch(/has 3/);
    expect(validateTrigger({ type: 'Schedule', inputs: { cron: '0 9 * * MON-FRI', timeZone: 'Mars/Olympus' } })['trigger.timeZone']).toMatch(/unknown/);
    expect(validateTrigger({ type: 'Schedule', inputs: { cron: '0 9 * * MON-FRI', timeZone: 'Europe/Berlin' } })).toEqual({});
  });

  it('Refuses an unknown type, as the server does', () => {
    expect(validateTrigger({ type: 'Webhook', inputs: {} })['trigger.type']).toMatch(/unknown/);
  });
});

describe('cron schedules', () => {
  it('Gives the next five weekday mornings in the time zone', () => {
    const parsed = parseCron('0 9 * * 1-5');
    if (!parsed.ok) throw new Error(parsed.message);
    // Friday 2026-03-06 10:00 UTC = 11:00 in Berlin: the next is Monday 09:00 Berlin = 08:00 UTC.
    const times = nextOccurrences(parsed.schedule, 'Europe/Berlin', new Date('2026-03-06T10:00:00Z'));
    expect(times.map(t => t.toISOString())).toEqual([
      '2026-03-09T08:00:00.000Z', '2026-03-10T08:00:00.000Z', '2026-03-11T08:00:00.000Z', '2026-03-12T08:00:00.000Z', '2026-03-13T08:00:00.000Z',
    ]);
  });

  it('Follows the change to summer time', () => {
    const parsed = parseCron('30 6 * * *');
    if (!parsed.ok) throw new Error(parsed.message);
    const times = nextOccurrences(parsed.schedule, 'Europe/Berlin', new Date('2026-03-28T00:00:00Z'), 2);
    expect(times.map(t => t.toISOString())).toEqual(['2026-03-28T05:30:00.000Z', '2026-03-29T04:30:00.000Z']);
  });

  it('Reads six fields as seconds first, steps, lists and names', () => {
    const parsed = parseCron('15 */20 8,17 * JAN sun');
    if (!parsed.ok) throw new Error(parsed.message);
    expect([...parsed.schedule.seconds]).toEqual([15]);
    expect([...parsed.schedule.minutes]).toEqual([0, 20, 40]);
    expect([...parsed.schedule.hours]).toEqual([8, 17]);
    expect([...parsed.schedule.months]).toEqual([1]);
    expect([...parsed.schedule.weekdays]).toEqual([0]);
  });

  it('Finds a leap day years ahead', () => {
    const parsed = parseCron('0 0 29 2 *');
    if (!parsed.ok) throw new Error(parsed.message);
    const times = nextOccurrences(parsed.schedule, 'UTC', new Date('2026-01-01T00:00:00Z'), 2);
    expect(times.map(t => t.toISOString())).toEqual(['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z']);
  });
});
