// Mantine's notification container on its own, for Toasts to load on demand (a dynamic import of
// the package itself would resolve to the module the store already comes from, in the entry).
export { Notifications } from '@mantine/notifications';
