/**
 * In-process n8n workflow harness: runs workflows through n8n-core's real WorkflowExecute on the
 * 2.x engine or, with N8N_ENGINE=1 (jest) / loadEngine(1) (plain node), the last 1.x engine.
 * Usage: test/harness/README.md.
 */
export { engineVersion, engineVersions, loadEngine, type EngineVersion } from './engine';
export {
	ExecutionDidNotStopError,
	runWorkflow,
	type OutputItem,
	type RunOptions,
	type RunResult,
	type StartItem,
} from './run';
export {
	testCredential,
	type CredentialTestOptions,
	type CredentialTestResult,
} from './credentialTest';
export {
	manualTriggerWorkflow,
	MANUAL_TRIGGER_NAME,
	type NodeCredentialReference,
	type TestNodeSpec,
	type WorkflowConnectionJson,
	type WorkflowConnectionsJson,
	type WorkflowJson,
	type WorkflowNodeJson,
} from './workflow';
export { MANUAL_TRIGGER_TYPE, NO_OP_TYPE, STICKY_NOTE_TYPE } from './standins';
export {
	CredentialStore,
	HarnessCredentialsHelper,
	type CredentialInput,
	type CredentialUpdate,
} from './credentials';
export {
	buildRegistry as loadPackages,
	projectPackageDir,
	type NodeTypeSource,
	type TypeRegistry,
} from './registry';
export { BASE_PACKAGE, baseNodeReport, loadBaseNode, type BaseNodeOutcome } from './baseNodes';
export { allowFileAccess, allowedFilePaths } from './fileAccess';
export { strayLogs, type LogEntry, type LogSource } from './logs';
