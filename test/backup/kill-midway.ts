// A backup killed midway (kill -9, no clean-up): runs `backup` as the CLI does and kills its own
// process at the step named in argv, once the database has been copied.
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/database.js'
import { createBackup, type BackupStep } from '../../src/backup/service.js'

const at = process.argv[2] as BackupStep
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' })
const database = openDatabase(config.databaseFile)
await createBackup(database, config, new Date(), { step: (step) => { if (step === at) process.kill(process.pid, 'SIGKILL') } })
