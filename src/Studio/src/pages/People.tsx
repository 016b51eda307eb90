import { CannedResponses } from './people/CannedResponses';
import { CloseWorkspace } from './people/CloseWorkspace';
import { IntegrationClients } from './people/IntegrationClients';
import { Members } from './people/Members';
import { Teams } from './people/Teams';
import { WorkspaceSettings } from './people/WorkspaceSettings';
import { useStudio } from '../context';

/** Who works in the workspace and with what: members, invitations, machine clients, teams, canned responses. */
export function People() {
  const { readOnly, refresh } = useStudio();
  return (
    <main className="page admin-page">
      <h1>People</h1>
      {readOnly && <p className="notice" role="status">You can read this page; changes are for admins.</p>}
      <WorkspaceSettings onChanged={refresh} />
      <Members onChanged={refresh} />
      <Teams onChanged={refresh} />
      <IntegrationClients />
      <CannedResponses />
      <CloseWorkspace />
    </main>
  );
}
