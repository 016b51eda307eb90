import { memo, useMemo, useState } from 'react';
import type { ActivityDescriptor } from '../api/types';

export const dragMime = 'application/x-oneinbox-activity';

export function groupByCategory(descriptors: readonly ActivityDescriptor[], search: string): [string, ActivityDescriptor[]][] {
  const term = search.trim().toLowerCase();
  const groups = new Map<string, ActivityDescriptor[]>();
  for (const d of descriptors) {
    if (term && !`${d.displayName} ${d.category} ${d.description} ${d.type}`.toLowerCase().includes(term)) continue;
    groups.set(d.category, [...(groups.get(d.category) ?? []), d]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Activities to drag onto the canvas; Enter on one adds it to the middle of the view for keyboard users. */
export const Palette = memo(function Palette({ descriptors, onAdd }: { descriptors: readonly ActivityDescriptor[]; onAdd: (type: string) => void }) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => groupByCategory(descriptors, search), [descriptors, search]);
  return (
    <aside className="palette" aria-label="Activities">
      <label htmlFor="palette-search" className="visually-hidden">Search activities</label>
      <input id="palette-search" type="search" placeholder="Search activities" value={search} onChange={e => setSearch(e.target.value)} data-testid="palette-search" />
      {groups.length === 0 && <p className="muted">No activity matches.</p>}
      {groups.map(([category, items]) => (
        <section key={category} aria-label={category}>
          <h3>{category}</h3>
          {items.map(d => (
            <button type="button" key={d.type} className="palette-item" draggable title={d.description} data-testid={`palette-${d.type}`}
              aria-label={`Add ${d.displayName}`}
              onDragStart={e => {
                e.dataTransfer.setData(dragMime, d.type);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => onAdd(d.type)}>
              {d.displayName}
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
});

/** The list that opens where a connection was dropped on empty canvas. */
export function NodePicker({ descriptors, x, y, onPick, onClose }: {
  descriptors: readonly ActivityDescriptor[]; x: number; y: number; onPick: (type: string) => void; onClose: () => void;
}) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => groupByCategory(descriptors, search), [descriptors, search]);
  const first = groups[0]?.[1][0];
  return (
    <div className="node-picker" role="dialog" aria-label="Choose the next activity" style={{ left: x, top: y }}
      onKeyDown={e => e.key === 'Escape' && onClose()}>
      <input autoFocus type="search" aria-label="Search the next activity" placeholder="Next activity…" value={search}
        data-testid="picker-search" onChange={e => setSearch(e.target.value)}
        onKeyDown={e => e.key === 'Enter' && first && onPick(first.type)} />
      <div className="picker-list">
        {groups.map(([category, items]) => (
          <section key={category} aria-label={category}>
            <h4>{category}</h4>
            {items.map(d => <button type="button" key={d.type} data-testid={`picker-${d.type}`} onClick={() => onPick(d.type)}>{d.displayName}</button>)}
          </section>
        ))}
      </div>
      <button type="button" onClick={onClose}>Cancel</button>
    </div>
  );
}
