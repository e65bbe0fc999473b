/**
 * The entrypoint of dist/guard/main.js, the guard's main step: a bundle of its own, because
 * this step sends no request and must not pay for loading the AWS SDK that dist/index.js
 * carries.
 */
import { run } from './main.js'

run()
