namespace TiBillet.GraphQL; public static class Placeholder {}
