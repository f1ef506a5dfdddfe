/**
 * A modal dialog on the browser's own <dialog>: it keeps focus inside while open, closes with
 * Escape, and gives focus back to what opened it.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog({ open, title, onClose, children, id = 'dialog' }: { open: boolean; title: string; onClose(): void; children: ReactNode; id?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) {
      opener.current = document.activeElement as HTMLElement | null;
      el.showModal();
    } else if (!open && el.open) {
      el.close();
      opener.current?.focus();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <h2 id={`${id}-title`}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}
