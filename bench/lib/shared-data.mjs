// Where the benches find their real data: the optional ../shared mirror (models, clips, fixtures).
import path from 'node:path';
import { REPO_ROOT } from './dist-import.mjs';

export const SHARED_DIR = process.env.ACTIONLENS_SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
