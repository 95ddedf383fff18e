import { router } from "../../trpc.js";
import { bananaCreate, jimengImageCreate, jimengVideoCreate, listTasksProcedure, queryResultProcedure, soraCreate } from "./procedures.js";

export const generationRouter = router({
  soraCreate,
  bananaCreate,
  jimengVideoCreate,
  jimengImageCreate,
  queryResult: queryResultProcedure,
  listTasks: listTasksProcedure,
});
