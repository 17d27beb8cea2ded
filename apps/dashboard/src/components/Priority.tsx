import { priorityClass } from '../api/events';

export function PriorityBadge({ priority }: { priority: string }) {
  return <span className={priorityClass(priority)}>{priority}</span>;
}

export function Tags({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return null;
  return (
    <span className="tags">
      {tags.map((t) => (
        <span key={t} className="tag">
          {t}
        </span>
      ))}
    </span>
  );
}
