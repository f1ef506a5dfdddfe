/**
 * A record by its address (/records/<id>): opened in the review of its book. A record the API
 * does not show the official (another agency's, or none) is "not found", as the API answers.
 */
import { useQuery } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { bookPath } from '../../lib/agency';
import type { BookRef } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { recordQuery } from './api';

export function RecordPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const record = useQuery({ ...recordQuery(id), enabled: Number.isInteger(id) && id > 0 });
  if (record.data) {
    const r = record.data;
    const book: BookRef = { registerType: r.registerType as BookRef['registerType'], unitCode: r.unitCode, bookYear: r.bookYear, bookKey: r.bookKey };
    return <Navigate to={bookPath(book, r.id)} replace />;
  }
  if (record.isError || !(Number.isInteger(id) && id > 0)) {
    return (
      <section aria-labelledby="record-missing-title">
        <h1 id="record-missing-title">{t('notFound.title')}</h1>
        {record.isError && <ErrorMessage error={record.error} />}
      </section>
    );
  }
  return <Loading />;
}
