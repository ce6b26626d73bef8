import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

// The provisioned datasource (infra/grafana/provisioning/datasources/phasesweep.yaml) carries this uid:
// every panel and variable names it, so dashboards work in any Grafana that ran the provisioning.
export const DATASOURCE_UID = 'phasesweep-postgres';
export const DATASOURCE_TYPE = 'grafana-postgresql-datasource';

export const datasourceRef: DataSourceRef = { type: DATASOURCE_TYPE, uid: DATASOURCE_UID };
