import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { datasourceRef } from './datasource.ts';
import type { PanelQuery } from './panel-query.ts';

export interface PostgresDataquery extends Dataquery {
  refId: string;
  datasource: typeof datasourceRef;
  rawSql: string;
  format: 'table' | 'time_series';
  rawQuery: true;
  editorMode: 'code';
}

// The SDK has no PostgreSQL query type; this is the shape Grafana's postgres datasource stores for a
// query written in code mode.
export class PostgresQueryBuilder implements Builder<Dataquery> {
  private readonly query: PostgresDataquery;

  constructor(panelQuery: PanelQuery, refId = 'A') {
    this.query = {
      _implementsDataqueryVariant: () => {},
      refId,
      datasource: { ...datasourceRef },
      rawSql: panelQuery.sql,
      format: panelQuery.format ?? 'table',
      rawQuery: true,
      editorMode: 'code',
    };
  }

  refId(refId: string): this {
    this.query.refId = refId;
    return this;
  }

  build(): PostgresDataquery {
    return this.query;
  }
}
