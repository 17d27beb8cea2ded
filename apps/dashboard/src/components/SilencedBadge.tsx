/** The feed's and explorer's mark on a silenced event: the silence ids, shortened. */
export function SilencedBadge({ ids }: { ids: readonly string[] | undefined }) {
  if (ids === undefined || ids.length === 0) return null;
  return (
    <span
      className="badge silenced"
      title={`Silenced by ${ids.join(', ')}: recorded, not sent to the silenced outputs`}
      data-testid="silenced-badge"
      data-silences={ids.join(',')}
    >
      silenced {ids.map((id) => id.slice(0, 8)).join(', ')}
    </span>
  );
}
