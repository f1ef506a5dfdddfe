/** A modal dialog on the browser's own <dialog>: focus stays inside, Esc closes, the page behind is inert. */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog(props: { open: boolean; onClose(): void; title: string; id: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={`${props.id}-title`} onClose={props.onClose} className="dialog">
      {props.open && (
        <>
          <h2 id={`${props.id}-title`}>{props.title}</h2>
          {props.children}
        </>
      )}
    </dialog>
  );
}
