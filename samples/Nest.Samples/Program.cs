// The `nest` command line over the seeds declared in Seeds/ (the generator registers them when this program loads).
return await Nest.Cli.NestApp.RunAsync(args);
