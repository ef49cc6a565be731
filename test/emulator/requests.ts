/** Views of an emulator's request log that tests share. */
import type { Emulator, RecordedRequest } from './types';

/** Requests to the API (`/api/v2/...`): token requests and admin calls left out. */
export function apiRequests(emu: Pick<Emulator, 'requests'>): RecordedRequest[] {
	return emu.requests.filter((r) => r.path.startsWith('/api/v2/'));
}

/** Requests to the token endpoint. */
export function tokenRequests(emu: Pick<Emulator, 'requests'>): RecordedRequest[] {
	return emu.requests.filter((r) => r.path === '/oauth/token');
}
