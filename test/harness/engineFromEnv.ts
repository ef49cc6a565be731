/**
 * Imported first by a plain-node entry that loads n8n modules without going through the harness (the
 * abort-listener scenario): applies N8N_ENGINE before anything requires n8n-workflow, as the harness does on
 * first use and jest.config.js does for jest.
 */
import { engineFromEnv, loadEngine } from './engine';

loadEngine(engineFromEnv());
