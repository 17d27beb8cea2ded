/** Where the remediator reports its decisions (signed); the request gate lets only signed reports through. */
export const REMEDIATIONS_PATH = '/api/v1/remediations';
