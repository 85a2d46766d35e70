// `express4` is an npm alias of express@4 (a dev dependency), used to run every suite on both majors.
// Express 4's runtime API is the part of @types/express 5 these tests use.
declare module 'express4' {
  import express = require('express');
  export = express;
}
