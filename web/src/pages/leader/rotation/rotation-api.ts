// The rotation's shapes (see /api/openapi.json), as types only: nothing of the server reaches the chunk.
export type {
  HanchoGuide,
  Rotation,
  RotationHousehold,
  RotateResultOut,
} from "../../../../../server/features/rotation/rotation.schemas";
