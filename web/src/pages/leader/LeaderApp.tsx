// Placeholder entry of the leader chunk; replaced by the leader screens.
export default function LeaderApp() {
  return <p>leader</p>;
}
