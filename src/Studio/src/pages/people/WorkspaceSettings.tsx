import { useEffect, useMemo, useState } from 'react';
import { toApiError, type ApiError } from '../../api/problem';
import type { Workspace } from '../../api/types';
import { describe, Field } from '../../admin/Field';
import { dayName, fromRows, hoursProblems, isDate, summarizeHours, toRows, weekDays, type WeekRows } from '../../admin/businessHours';
import { formProblem, noProblem, type FormProblem } from '../../admin/fieldErrors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useStudio } from '../../context';
import { isTimeZone, timeZones } from '../../triggers/cron';

/**
 * The workspace's name, the time zone it works in and its business hours: weekly openings (a day may have several,
 * none means closed) and closed dates. Flows' business-hours step reads them unless it names its own calendar.
 */
export function WorkspaceSettings({ onChanged }: { onChanged(): void }) {
  const { api, readOnly } = useStudio();
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [name, setName] = useState('');
  const [zone, setZone] = useState('');
  const [rows, setRows] = useState<WeekRows>(() => toRows({ weekly: [], holidays: [] }));
  const [holidays, setHolidays] = useState<string[]>([]);
  const [newDate, setNewDate] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<FormProblem>(noProblem);
  const [saved, setSaved] = useState(false);
  const zones = useMemo(() => timeZones(), []);

  const load = (w: Workspace) => {
    setWorkspace(w);
    setName(w.name);
    setZone(w.timeZone);
    setRows(toRows(w.businessHours));
    setHolidays(w.businessHours.holidays);
  };

  useEffect(() => {
    api.workspace().then(load).catch(e => setError(toApiError(e)));
  }, [api]);

  const slotProblems = hoursProblems(rows);
  const zoneProblem = zone.trim() && !isTimeZone(zone.trim()) ? `Time zone '${zone.trim()}' is unknown; pick one from the list.` : null;
  const edited = () => setSaved(false);
  const changeRows = (day: string, change: (slots: WeekRows[string]) => WeekRows[string]) => {
    setRows(r => ({ ...r, [day]: change(r[day]) }));
    edited();
  };

  return (
    <section aria-labelledby="workspace-heading" className="admin-section">
      <h2 id="workspace-heading">Workspace</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {workspace && (
        <form className="workspace-settings" aria-label="Workspace settings" noValidate onSubmit={async e => {
          e.preventDefault();
          if (zoneProblem || Object.keys(slotProblems).length > 0) return;
          try {
            load(await api.updateWorkspace({
              name: name.trim(),
              timeZone: zone.trim(),
              businessHours: { weekly: fromRows(rows), holidays },
            }));
            setProblem(noProblem);
            setSaved(true);
            onChanged();
          } catch (err) {
            setProblem(formProblem(err, ['name', 'timeZone']));
          }
        }}>
          <div className="inline-form wrap">
            <Field id="workspace-name" label="Name" error={problem.fields.name}>
              <input id="workspace-name" data-testid="workspace-name" value={name} readOnly={readOnly}
                onChange={e => { setName(e.target.value); edited(); }} {...describe('workspace-name', problem.fields.name)} />
            </Field>
            <Field id="workspace-zone" label="Time zone" error={zoneProblem ?? problem.fields.timeZone}
              hint="Business hours and schedules read the clock in this zone.">
              <input id="workspace-zone" data-testid="workspace-timezone" list="workspace-zones" value={zone} readOnly={readOnly}
                onChange={e => { setZone(e.target.value); edited(); }} {...describe('workspace-zone', zoneProblem ?? problem.fields.timeZone, true)} />
              <datalist id="workspace-zones">{zones.map(z => <option key={z} value={z} />)}</datalist>
            </Field>
            <span className="muted">Handle: <code>{workspace.slug}</code></span>
          </div>

          <fieldset className="business-hours" data-testid="business-hours">
            <legend>Business hours</legend>
            <p className="muted" data-testid="hours-summary">
              {summarizeHours({ weekly: fromRows(rows), holidays })}
              {' · '}
              <span data-testid="open-now">{workspace.openNow ? 'open now' : 'closed now'}</span>
            </p>
            <table className="hours-table">
              <tbody>
                {weekDays.map(day => (
                  <tr key={day} data-testid={`hours-${day}`}>
                    <th scope="row">{dayName(day)}</th>
                    <td>
                      {rows[day].length === 0 && <span className="muted">Closed</span>}
                      {rows[day].map((slot, i) => {
                        const key = `${day}.${i}`;
                        const id = `hours-${day}-${i}`;
                        return (
                          <div key={key} className={`hours-slot${slotProblems[key] ? ' invalid' : ''}`}>
                            <input type="time" id={`${id}-open`} data-testid={`${id}-open`} aria-label={`${dayName(day)} opens`} value={slot.open}
                              readOnly={readOnly} onChange={e => changeRows(day, s => s.map((x, j) => j === i ? { ...x, open: e.target.value } : x))}
                              {...describe(id, slotProblems[key])} />
                            <span aria-hidden="true">–</span>
                            <input type="time" id={`${id}-close`} data-testid={`${id}-close`} aria-label={`${dayName(day)} closes`} value={slot.close}
                              readOnly={readOnly} onChange={e => changeRows(day, s => s.map((x, j) => j === i ? { ...x, close: e.target.value } : x))}
                              {...describe(id, slotProblems[key])} />
                            {!readOnly && (
                              <button type="button" className="link" aria-label={`Remove ${dayName(day)} ${slot.open}–${slot.close}`}
                                onClick={() => changeRows(day, s => s.filter((_, j) => j !== i))}>Remove</button>
                            )}
                            {slotProblems[key] && <small id={`${id}-error`} className="error" role="alert" data-testid={`${id}-error`}>{slotProblems[key]}</small>}
                          </div>
                        );
                      })}
                    </td>
                    <td>
                      {!readOnly && (
                        <button type="button" data-testid={`hours-${day}-add`} aria-label={`Add opening hours on ${dayName(day)}`}
                          onClick={() => changeRows(day, s => [...s, s.length === 0 ? { open: '09:00', close: '17:00' } : { open: s[s.length - 1].close, close: '23:59' }])}>
                          Add hours
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>

            <h3>Closed dates</h3>
            {holidays.length === 0 && <p className="muted">No closed dates.</p>}
            <ul className="chips" aria-label="Closed dates">
              {holidays.map(date => (
                <li key={date} className="chip keyword" data-testid={`holiday-${date}`}>
                  {date}
                  {!readOnly && (
                    <button type="button" className="link" aria-label={`Remove closed date ${date}`}
                      onClick={() => { setHolidays(h => h.filter(d => d !== date)); edited(); }}>×</button>
                  )}
                </li>
              ))}
            </ul>
            {!readOnly && (
              <div className="inline-form">
                <Field id="holiday-date" label="Add a closed date">
                  <input id="holiday-date" type="date" data-testid="holiday-date" value={newDate} onChange={e => setNewDate(e.target.value)} />
                </Field>
                <button type="button" data-testid="add-holiday" disabled={!isDate(newDate)} onClick={() => {
                  setHolidays(h => [...new Set([...h, newDate])].sort());
                  setNewDate('');
                  edited();
                }}>Add closed date</button>
              </div>
            )}
          </fieldset>

          {!readOnly && <button type="submit" className="primary" data-testid="save-workspace">Save</button>}
          {saved && <span role="status">Saved.</span>}
        </form>
      )}
      <ErrorBanner error={problem.form} onDismiss={() => setProblem(noProblem)} />
    </section>
  );
}
