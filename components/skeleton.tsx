/** A placeholder while data loads; announced as a status so assistive technology knows why it is empty. */
export function Skeleton({ label, className }: { label: string; className: string }) {
  return <div role="status" aria-label={label} className={`animate-pulse ${className}`} />;
}
